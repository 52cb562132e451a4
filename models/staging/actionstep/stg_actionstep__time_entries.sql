-- Time entries (current billing mode).
with source as (
    select * from {{ actionstep_current('timeentries') }}
)

select
    cast(id as bigint) as time_entry_id,
    {{ as_link_id('action') }} as action_id,
    try_cast(record ->> 'timestampDate' as date) as entry_date,
    {{ as_text('description') }} as description,
    {{ as_number('actualHours') }} as actual_hours,
    {{ as_number('billableHours') }} as billable_hours,
    {{ as_number('rateUnitPrice') }} as rate,
    {{ as_number('billableAmount') }} as amount,
    {{ as_text('billingBehavior') }} as billing_behavior,
    {{ as_link_id('owner') }} as owner_participant_id
from source
