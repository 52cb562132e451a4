-- Custom data collections of a matter type (single record or one row per item).
with source as (
    select * from {{ actionstep_current('datacollections', '{"label":"VARCHAR","multipleRecords":"VARCHAR","name":"VARCHAR","links":{"actionType":"VARCHAR"}}') }}
)

select
    cast(id as bigint) as data_collection_id,
    try_cast(r['links']['actionType'] as bigint) as action_type_id,
    nullif(trim(r['name']), '') as name,
    nullif(trim(r['label']), '') as label,
    (r['multipleRecords'] = 'T') as is_multiple
from source
