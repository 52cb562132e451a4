-- Custom fields of a participant type (id "type--name"), e.g. a client's preferred contact.
with source as (
    select * from {{ actionstep_current('participanttypedatafields', '{"dataType":"VARCHAR","formOrder":"VARCHAR","label":"VARCHAR","name":"VARCHAR","links":{"participantType":"VARCHAR"}}') }}
)

select
    id as field_id,
    try_cast(r['links']['participantType'] as bigint) as participant_type_id,
    nullif(trim(r['name']), '') as name,
    nullif(trim(r['label']), '') as label,
    nullif(trim(r['dataType']), '') as data_type,
    cast(r['formOrder'] as integer) as form_order
from source
