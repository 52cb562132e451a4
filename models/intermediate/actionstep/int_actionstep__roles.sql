-- Every role a contact plays on a matter, with its contact tag (seed participant_roles; a role
-- missing there keeps its Actionstep label). Links to a participant or participant type that
-- does not exist are review reasons, never silent drops.
with links as (
    select * from {{ ref('stg_actionstep__action_participants') }}
),

types as (
    select * from {{ ref('stg_actionstep__participant_types') }}
),

roles as (
    select * from {{ ref('participant_roles') }}
),

participants as (
    select
        participant_id,
        partner_xmlid
    from {{ ref('int_actionstep__participants') }}
),

known_participants as (
    select participant_id from {{ ref('stg_actionstep__participants') }}
)

select
    links.action_participant_id,
    links.action_id,
    links.participant_id,
    links.participant_type_id,
    links.participant_number,
    types.name as role_label,
    coalesce(roles.tag_name, types.name) as tag_name,
    {{ external_id("'partner_category'", selection_value('coalesce(roles.tag_name, types.name)')) }}
        as category_xmlid,
    coalesce(roles.is_client_contact, false) as is_client_contact,
    participants.partner_xmlid,
    case
        when known_participants.participant_id is null then 'actionparticipant_missing_participant'
        when types.participant_type_id is null then 'actionparticipant_unknown_participant_type'
    end as review_reason
from links
left join types
    on links.participant_type_id = types.participant_type_id
left join roles
    on types.name = roles.participant_type
left join participants
    on links.participant_id = participants.participant_id
left join known_participants
    on links.participant_id = known_participants.participant_id
