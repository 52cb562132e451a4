-- Billing lines of matters (time entries, legacy time records, disbursements, bills on each
-- matter they cover): elements of the matter's billing JSON, matched by description (bills:
-- by their reference).
with time_entries as (
    select 'time/' || id as line_id, json_extract_string(record, '$.links.action') as action_id,
        json_extract_string(record, '$.description') as description,
        cast(null as varchar) as bill_reference
    from {current:timeentries}
),

time_records as (
    select 'legacy_time/' || id, json_extract_string(record, '$.links.action'),
        json_extract_string(record, '$.notes'), null
    from {current:timerecords}
),

disbursements as (
    select 'disbursement/' || id, json_extract_string(record, '$.links.action'),
        json_extract_string(record, '$.description'), null
    from {current:disbursements}
),

bills as (
    select 'bill/' || id || '/' || action_id, action_id, null, reference
    from (
        select
            id,
            json_extract_string(record, '$.ourReference') as reference,
            unnest(from_json(json_extract(record, '$.links.action'), '["VARCHAR"]')) as action_id
        from {current:bills}
    )
),

lines as (
    select * from time_entries
    union all select * from time_records
    union all select * from disbursements
    union all select * from bills
)

select
    line_id as source_id,
    'legal2odoo.actionstep_matter_' || regexp_replace(action_id, '[^A-Za-z0-9_]', '_', 'g')
        as external_id,
    'billing line' as record_type,
    case when action_id is null then 'no matter' end as excluded_rule,
    description,
    bill_reference
from lines
