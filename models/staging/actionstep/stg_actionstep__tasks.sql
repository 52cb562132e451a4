-- Tasks on matters: Incomplete (open), Complete (done), Hidden, Deleted (soft delete).
with source as (
    select * from {{ actionstep_current('tasks', '{"actualHours":"VARCHAR","assignedBy":"VARCHAR","completedTimestamp":"VARCHAR","description":"VARCHAR","dueTimestamp":"VARCHAR","lastModifiedTimestamp":"VARCHAR","name":"VARCHAR","priority":"VARCHAR","status":"VARCHAR","links":{"action":"VARCHAR","assignee":"VARCHAR"}}') }}
)

select
    cast(id as bigint) as task_id,
    try_cast(r['links']['action'] as bigint) as action_id,
    nullif(trim(r['name']), '') as name,
    nullif(trim(r['status']), '') as status,
    nullif(trim(r['priority']), '') as priority,
    {{ actionstep_timestamp("r['dueTimestamp']") }} as due_at,
    {{ actionstep_timestamp("r['completedTimestamp']") }} as completed_at,
    {{ actionstep_timestamp("r['lastModifiedTimestamp']") }} as modified_at,
    try_cast(r['actualHours'] as double) as actual_hours,
    r['description'] as description,
    nullif(trim(r['assignedBy']), '') as assigned_by,
    try_cast(r['links']['assignee'] as bigint) as assignee_participant_id
from source
