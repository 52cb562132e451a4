-- A table, not a view: parsing text once serves every model and test downstream.
{{ config(materialized='table') }}
-- Engagement activity (calls, emails, notes), typed: the date from the firm's wall clock to
-- naive UTC, duration as an integer. One row per activity, from the newest export run
-- (base_captorra__activities).
with activities as (
    select
        {{ captorra_fields_or_null('activities', [
            'activity_id', 'lead_id', 'activity_type', 'occurred_at', 'sender', 'subject',
            'body', 'duration_minutes', 'outcome']) }},
        _line,
        _run_id
    from {{ ref('base_captorra__activities') }}
),

typed as (
    select
        trim(activity_id) as activity_id,
        trim(lead_id) as lead_id,
        trim(activity_type) as activity_type,
        {{ captorra_timestamp('occurred_at') }} as occurred_at,
        {{ blank_to_null('sender') }} as sender,
        {{ normalise_email('sender') }} as sender_key,
        {{ blank_to_null('subject') }} as subject,
        {{ blank_to_null('body') }} as body,
        try_cast(nullif(trim(duration_minutes), '') as integer) as duration_minutes,
        {{ blank_to_null('outcome') }} as outcome,
        _line as source_line,
        _run_id as extract_run_id
    from activities
)

select * from typed
