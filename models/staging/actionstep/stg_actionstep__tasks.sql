-- Tasks on matters: Incomplete (open), Complete (done), Hidden, Deleted (soft delete).
with source as (
    select * from {{ actionstep_current('tasks') }}
)

select
    cast(id as bigint) as task_id,
    {{ as_link_id('action') }} as action_id,
    {{ as_text('name') }} as name,
    {{ as_text('status') }} as status,
    {{ as_text('priority') }} as priority,
    {{ as_timestamp('dueTimestamp') }} as due_at,
    {{ as_timestamp('completedTimestamp') }} as completed_at,
    {{ as_timestamp('lastModifiedTimestamp') }} as modified_at,
    {{ as_number('actualHours') }} as actual_hours,
    record ->> 'description' as description,
    {{ as_text('assignedBy') }} as assigned_by,
    {{ as_link_id('assignee') }} as assignee_participant_id
from source
