-- Custom matter fields (id "collection--name") with their Actionstep data type.
with source as (
    select * from {{ actionstep_current('datacollectionfields') }}
)

select
    id as field_id,
    {{ as_link_id('dataCollection') }} as data_collection_id,
    {{ as_text('name') }} as name,
    {{ as_text('label') }} as label,
    {{ as_text('dataType') }} as data_type,
    cast(record ->> 'formOrder' as integer) as form_order
from source
