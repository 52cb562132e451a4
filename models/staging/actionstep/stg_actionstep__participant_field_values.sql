-- Participant custom field values per matter (id "type--name--participant--action").
with source as (
    select * from {{ actionstep_current('participantdatafieldvalues', '{"stringValue":"VARCHAR","links":{"action":"VARCHAR","dataField":"VARCHAR","participant":"VARCHAR","participantType":"VARCHAR"}}') }}
)

select
    id as value_id,
    try_cast(r['links']['participant'] as bigint) as participant_id,
    try_cast(r['links']['participantType'] as bigint) as participant_type_id,
    try_cast(r['links']['action'] as bigint) as action_id,
    r['links']['dataField'] as field_id,
    r['stringValue'] as value_text
from source
