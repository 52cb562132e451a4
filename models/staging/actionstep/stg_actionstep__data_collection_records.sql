-- One record of a data collection on a matter.
with source as (
    select * from {{ actionstep_current('datacollectionrecords') }}
)

select
    cast(id as bigint) as record_id,
    {{ as_link_id('action') }} as action_id,
    {{ as_link_id('dataCollection') }} as data_collection_id
from source
