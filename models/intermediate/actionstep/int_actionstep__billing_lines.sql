-- Every billing line of a matter, one row each, in one shape: time entries, legacy time
-- records, disbursements and bills (a bill covering several matters is a line on each).
-- `user` is the name of the staff member who owns or entered the line.
with names as (
    select
        participant_id,
        coalesce(display_name, trim(concat_ws(' ', first_name, last_name))) as name
    from {{ ref('stg_actionstep__participants') }}
),

time_entries as (
    select
        'time' as kind,
        cast(time_entry_id as varchar) as line_id,
        action_id,
        entry_date as line_date,
        owner_participant_id as user_participant_id,
        billable_hours as hours,
        rate,
        amount,
        description,
        cast(null as varchar) as bill_reference
    from {{ ref('stg_actionstep__time_entries') }}
),

time_records as (
    select
        'legacy_time',
        cast(time_record_id as varchar),
        action_id,
        cast(started_at as date),
        owner_participant_id,
        billable_hours,
        null,
        null,
        notes,
        null
    from {{ ref('stg_actionstep__time_records') }}
),

disbursements as (
    select
        'disbursement',
        cast(disbursement_id as varchar),
        action_id,
        disbursement_date,
        entered_by_participant_id,
        null,
        unit_price,
        round(coalesce(quantity, 1) * unit_price, 2),
        description,
        null
    from {{ ref('stg_actionstep__disbursements') }}
),

bills as (
    select
        'bill',
        cast(bill_id as varchar),
        unnest(action_ids),
        invoice_date,
        null,
        null,
        null,
        total,
        'Bill ' || coalesce(status, '') || ', paid ' || coalesce(cast(paid as varchar), '0')
        || ', due ' || coalesce(cast(due as varchar), '0'),
        reference
    from {{ ref('stg_actionstep__bills') }}
),

lines as (
    select * from time_entries
    union all
    select * from time_records
    union all
    select * from disbursements
    union all
    select * from bills
)

select
    lines.kind,
    lines.line_id,
    lines.action_id,
    lines.line_date,
    names.name as user_name,
    lines.hours,
    lines.rate,
    lines.amount,
    '{{ var("actionstep_currency") }}' as currency,
    lines.description,
    lines.bill_reference
from lines
left join names
    on lines.user_participant_id = names.participant_id
