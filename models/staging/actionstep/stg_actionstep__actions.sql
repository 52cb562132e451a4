-- Matters (actions), typed: createdTimestamp is a date only; related matters are the
-- relatedActions link array (no endpoint of their own).
with source as (
    select * from {{ actionstep_current('actions', '{"createdTimestamp":"VARCHAR","deletedTimestamp":"VARCHAR","importExternalReference":"VARCHAR","isDeleted":"VARCHAR","modifiedTimestamp":"VARCHAR","name":"VARCHAR","reference":"VARCHAR","status":"VARCHAR","links":{"actionType":"VARCHAR","assignedTo":"VARCHAR","division":"VARCHAR","step":"VARCHAR","primaryParticipants":["VARCHAR"],"relatedActions":["VARCHAR"]}}') }}
)

select
    cast(id as bigint) as action_id,
    nullif(trim(r['name']), '') as name,
    nullif(trim(r['reference']), '') as reference,
    nullif(trim(r['status']), '') as status,
    cast(try_cast(r['createdTimestamp'] as date) as timestamp) as created_at,
    {{ actionstep_timestamp("r['modifiedTimestamp']") }} as modified_at,
    (r['isDeleted'] = 'T') as is_deleted,
    {{ actionstep_timestamp("r['deletedTimestamp']") }} as deleted_at,
    try_cast(r['links']['assignedTo'] as bigint) as assigned_participant_id,
    try_cast(r['links']['actionType'] as bigint) as action_type_id,
    try_cast(r['links']['division'] as bigint) as division_participant_id,
    nullif(r['links']['step'], '') as step_id,
    list_transform(
        coalesce(r['links']['primaryParticipants'], []),
        lambda p: cast(p as bigint)
    ) as primary_participant_ids,
    list_transform(
        coalesce(r['links']['relatedActions'], []),
        lambda a: cast(a as bigint)
    ) as related_action_ids,
    nullif(trim(r['importExternalReference']), '') as import_reference
from source
