-- Legacy time records (matters from before the firm's 2021 billing change).
with source as (
    select * from {{ actionstep_current('timerecords', '{"actualHours":"VARCHAR","billableHours":"VARCHAR","notes":"VARCHAR","startTimestamp":"VARCHAR","links":{"action":"VARCHAR","owner":"VARCHAR"}}') }}
)

select
    cast(id as bigint) as time_record_id,
    try_cast(r['links']['action'] as bigint) as action_id,
    {{ actionstep_timestamp("r['startTimestamp']") }} as started_at,
    try_cast(r['actualHours'] as double) as actual_hours,
    try_cast(r['billableHours'] as double) as billable_hours,
    r['notes'] as notes,
    try_cast(r['links']['owner'] as bigint) as owner_participant_id
from source
