-- Further phone numbers of a participant (work, fax, other).
with source as (
    select * from {{ actionstep_current('phonerecords', '{"areaCode":"VARCHAR","countryCode":"VARCHAR","label":"VARCHAR","notes":"VARCHAR","number":"VARCHAR","links":{"participant":"VARCHAR"}}') }}
)

select
    cast(id as bigint) as phone_record_id,
    try_cast(r['links']['participant'] as bigint) as participant_id,
    nullif(trim(r['label']), '') as label,
    nullif(trim(concat_ws(
        ' ', '+' || (r['countryCode']),
        '(' || (r['areaCode']) || ')', r['number']
    )), '') as phone,
    nullif(trim(r['notes']), '') as notes
from source
