-- Custom matter fields (id "collection--name") with their Actionstep data type.
with source as (
    select * from {{ actionstep_current('datacollectionfields', '{"dataType":"VARCHAR","formOrder":"VARCHAR","label":"VARCHAR","name":"VARCHAR","links":{"dataCollection":"VARCHAR"}}') }}
)

select
    id as field_id,
    try_cast(r['links']['dataCollection'] as bigint) as data_collection_id,
    nullif(trim(r['name']), '') as name,
    nullif(trim(r['label']), '') as label,
    nullif(trim(r['dataType']), '') as data_type,
    cast(r['formOrder'] as integer) as form_order
from source
