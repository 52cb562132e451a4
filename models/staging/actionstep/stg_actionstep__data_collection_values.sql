-- Custom matter field values as stored (text), id "collection--name--record".
with source as (
    select * from {{ actionstep_current('datacollectionrecordvalues') }}
)

select
    id as value_id,
    {{ as_link_id('action') }} as action_id,
    record -> 'links' ->> 'dataCollectionField' as field_id,
    {{ as_link_id('dataCollectionRecord') }} as record_id,
    record ->> 'stringValue' as value_text,
    {{ as_timestamp('last_modified_time_stamp') }} as modified_at
from source
