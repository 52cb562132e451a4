-- Captorra engagement activity (calls, emails, notes): newest export run per activity.
with raw as (
    select * from {raw:captorra/activities}
)

select
    trim(activity_id) as source_id,
    'legal2odoo.captorra_activity_' || regexp_replace(trim(activity_id), '[^A-Za-z0-9_]', '_', 'g')
        as external_id,
    'activity' as record_type,
    cast(null as varchar) as excluded_rule,
    subject,
    body,
    occurred_at,
    trim(lead_id) as lead_id,
    'crm.lead' as model
from raw
qualify row_number() over (partition by trim(activity_id) order by _run_id desc) = 1
