-- Custom intake field values: the export's columns that the field list (fields.csv) defines,
-- one value per lead and field where not blank. They live as custom fields on the lead, so
-- the lead is the record that must be in Odoo.
with raw as (
    -- _no_custom: an export without custom columns still has one column to unpivot
    select *, cast(null as varchar) as _no_custom from {raw:captorra/leads}
    qualify row_number() over (partition by trim(lead_id) order by _run_id desc) = 1
),

fields as (
    select distinct trim(field_name) as field_name from {raw:captorra/fields}
),

custom as (
    unpivot (
        select * exclude (
            created_at, modified_at, first_name, last_name, email, phone, mobile, street, city,
            state, zip, company, pipeline, status, owner_name, owner_email, referral_source,
            referring_attorney, referring_firm, converted, matter_ref, notes, attachments,
            _line, _extracted_at, _run_id, run
        )
        from raw
    )
    on columns(* exclude (lead_id))
    into name field_name value field_value
)

select
    trim(custom.lead_id) || '/' || custom.field_name as source_id,
    'legal2odoo.captorra_lead_' || regexp_replace(trim(custom.lead_id), '[^A-Za-z0-9_]', '_', 'g')
        as external_id,
    'custom value' as record_type,
    cast(null as varchar) as excluded_rule
from custom
inner join fields
    on custom.field_name = fields.field_name
where nullif(trim(cast(custom.field_value as varchar)), '') is not null
