-- Files the export names per lead; a file named but not delivered cannot be migrated.
with raw as (
    select * from {raw:captorra/attachments}
)

select
    trim(lead_id) || '/' || file_name as source_id,
    'legal2odoo.captorra_attachment_'
        || regexp_replace(trim(lead_id) || '_' || file_name, '[^A-Za-z0-9_]', '_', 'g') as external_id,
    'attachment' as record_type,
    case when not coalesce(present, false) then 'file named in the export but not delivered' end
        as excluded_rule,
    file_name,
    mime,
    trim(lead_id) as lead_id,
    'crm.lead' as res_model
from raw
qualify row_number() over (partition by trim(lead_id), file_name order by _run_id desc) = 1
