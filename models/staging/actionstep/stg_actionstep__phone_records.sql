-- Further phone numbers of a participant (work, fax, other).
with source as (
    select * from {{ actionstep_current('phonerecords') }}
)

select
    cast(id as bigint) as phone_record_id,
    {{ as_link_id('participant') }} as participant_id,
    {{ as_text('label') }} as label,
    nullif(trim(concat_ws(' ', '+' || (record ->> 'countryCode'),
        '(' || (record ->> 'areaCode') || ')', record ->> 'number')), '') as phone,
    {{ as_text('notes') }} as notes
from source
