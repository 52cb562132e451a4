-- Emails filed on matters (the matters are emailassociations).
with source as (
    select * from {{ actionstep_current('emails') }}
)

select
    cast(id as bigint) as email_id,
    {{ as_text('direction') }} as direction,
    {{ as_text('subject') }} as subject,
    record ->> 'bodyText' as body_text,
    record ->> 'bodyHtml' as body_html,
    {{ as_text('from') }} as email_from,
    {{ as_text('to') }} as email_to,
    coalesce({{ as_timestamp('sentTimestamp') }}, {{ as_timestamp('createdTimestamp') }}) as sent_at,
    {{ as_link_id('createdBy') }} as created_by_participant_id
from source
