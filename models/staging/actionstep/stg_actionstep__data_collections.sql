-- Custom data collections of a matter type (single record or one row per item).
with source as (
    select * from {{ actionstep_current('datacollections') }}
)

select
    cast(id as bigint) as data_collection_id,
    {{ as_link_id('actionType') }} as action_type_id,
    {{ as_text('name') }} as name,
    {{ as_text('label') }} as label,
    {{ as_tf('multipleRecords') }} as is_multiple
from source
