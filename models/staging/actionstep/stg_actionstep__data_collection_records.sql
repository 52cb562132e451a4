-- One record of a data collection on a matter.
with source as (
    select * from {{ actionstep_current('datacollectionrecords', '{"links":{"action":"VARCHAR","dataCollection":"VARCHAR"}}') }}
)

select
    cast(id as bigint) as record_id,
    try_cast(r['links']['action'] as bigint) as action_id,
    try_cast(r['links']['dataCollection'] as bigint) as data_collection_id
from source
