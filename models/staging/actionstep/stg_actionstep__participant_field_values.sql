-- Participant custom field values per matter (id "type--name--participant--action").
with source as (
    select * from {{ actionstep_current('participantdatafieldvalues') }}
)

select
    id as value_id,
    {{ as_link_id('participant') }} as participant_id,
    {{ as_link_id('participantType') }} as participant_type_id,
    {{ as_link_id('action') }} as action_id,
    record -> 'links' ->> 'dataField' as field_id,
    record ->> 'stringValue' as value_text
from source
