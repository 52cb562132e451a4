-- Who is on a matter in which role (id "action--type--participant").
with source as (
    select * from {{ actionstep_current('actionparticipants') }}
)

select
    id as action_participant_id,
    {{ as_link_id('action') }} as action_id,
    {{ as_link_id('participantType') }} as participant_type_id,
    {{ as_link_id('participant') }} as participant_id,
    cast(record ->> 'participantNumber' as integer) as participant_number
from source
