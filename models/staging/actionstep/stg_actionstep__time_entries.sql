-- Time entries (current billing mode).
with source as (
    select * from {{ actionstep_current('timeentries', '{"actualHours":"VARCHAR","billableAmount":"VARCHAR","billableHours":"VARCHAR","billingBehavior":"VARCHAR","description":"VARCHAR","rateUnitPrice":"VARCHAR","timestampDate":"VARCHAR","links":{"action":"VARCHAR","owner":"VARCHAR"}}') }}
)

select
    cast(id as bigint) as time_entry_id,
    try_cast(r['links']['action'] as bigint) as action_id,
    try_cast(r['timestampDate'] as date) as entry_date,
    nullif(trim(r['description']), '') as description,
    try_cast(r['actualHours'] as double) as actual_hours,
    try_cast(r['billableHours'] as double) as billable_hours,
    try_cast(r['rateUnitPrice'] as double) as rate,
    try_cast(r['billableAmount'] as double) as amount,
    nullif(trim(r['billingBehavior']), '') as billing_behavior,
    try_cast(r['links']['owner'] as bigint) as owner_participant_id
from source
