-- Matters (actions), typed: createdTimestamp is a date only; related matters are the
-- relatedActions link array (no endpoint of their own).
with source as (
    select * from {{ actionstep_current('actions') }}
)

select
    cast(id as bigint) as action_id,
    {{ as_text('name') }} as name,
    {{ as_text('reference') }} as reference,
    {{ as_text('status') }} as status,
    cast(try_cast(record ->> 'createdTimestamp' as date) as timestamp) as created_at,
    {{ as_timestamp('modifiedTimestamp') }} as modified_at,
    {{ as_tf('isDeleted') }} as is_deleted,
    {{ as_timestamp('deletedTimestamp') }} as deleted_at,
    {{ as_link_id('assignedTo') }} as assigned_participant_id,
    {{ as_link_id('actionType') }} as action_type_id,
    {{ as_link_id('division') }} as division_participant_id,
    nullif(record -> 'links' ->> 'step', '') as step_id,
    list_transform(
        cast(coalesce(record -> 'links' -> 'primaryParticipants', '[]') as varchar[]),
        lambda p: cast(p as bigint)) as primary_participant_ids,
    list_transform(
        cast(coalesce(record -> 'links' -> 'relatedActions', '[]') as varchar[]),
        lambda a: cast(a as bigint)) as related_action_ids,
    {{ as_text('importExternalReference') }} as import_reference
from source
