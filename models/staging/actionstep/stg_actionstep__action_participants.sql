-- Who is on a matter in which role (id "action--type--participant").
with source as (
    select * from {{ actionstep_current('actionparticipants', '{"participantNumber":"VARCHAR","links":{"action":"VARCHAR","participant":"VARCHAR","participantType":"VARCHAR"}}') }}
)

select
    id as action_participant_id,
    try_cast(r['links']['action'] as bigint) as action_id,
    try_cast(r['links']['participantType'] as bigint) as participant_type_id,
    try_cast(r['links']['participant'] as bigint) as participant_id,
    cast(r['participantNumber'] as integer) as participant_number
from source
