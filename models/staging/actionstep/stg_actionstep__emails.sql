-- Emails filed on matters (the matters are emailassociations).
with source as (
    select * from {{ actionstep_current('emails', '{"bodyHtml":"VARCHAR","bodyText":"VARCHAR","createdTimestamp":"VARCHAR","direction":"VARCHAR","from":"VARCHAR","sentTimestamp":"VARCHAR","subject":"VARCHAR","to":"VARCHAR","links":{"createdBy":"VARCHAR"}}') }}
)

select
    cast(id as bigint) as email_id,
    nullif(trim(r['direction']), '') as direction,
    nullif(trim(r['subject']), '') as subject,
    r['bodyText'] as body_text,
    r['bodyHtml'] as body_html,
    nullif(trim(r['from']), '') as email_from,
    nullif(trim(r['to']), '') as email_to,
    coalesce({{ actionstep_timestamp("r['sentTimestamp']") }}, {{ actionstep_timestamp("r['createdTimestamp']") }}) as sent_at,
    try_cast(r['links']['createdBy'] as bigint) as created_by_participant_id
from source
