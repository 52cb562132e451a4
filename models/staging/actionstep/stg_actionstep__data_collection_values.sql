-- Custom matter field values as stored (text), id "collection--name--record".
with source as (
    select * from {{ actionstep_current('datacollectionrecordvalues', '{"last_modified_time_stamp":"VARCHAR","stringValue":"VARCHAR","links":{"action":"VARCHAR","dataCollectionField":"VARCHAR","dataCollectionRecord":"VARCHAR"}}') }}
)

select
    id as value_id,
    try_cast(r['links']['action'] as bigint) as action_id,
    r['links']['dataCollectionField'] as field_id,
    try_cast(r['links']['dataCollectionRecord'] as bigint) as record_id,
    r['stringValue'] as value_text,
    {{ actionstep_timestamp("r['last_modified_time_stamp']") }} as modified_at
from source
