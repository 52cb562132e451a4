-- Every source record that cannot be loaded safely, with the reason. Nothing is dropped
-- silently: a record missing from the marts is here (or hangs under a lead that is here).
with captorra_leads as (
    select
        'crm.lead' as model,
        'captorra' as source_system,
        'lead' as source_model,
        lead_id as source_id,
        review_reason as reason,
        'pipeline ' || pipeline || ', status ' || status
        || ' (add it to seeds/captorra_stages.csv)' as detail
    from {{ ref('int_captorra__leads') }}
    where review_reason is not null
),

captorra_attachments as (
    select
        'ir.attachment' as model,
        'captorra' as source_system,
        'attachment' as source_model,
        lead_id || '/' || file_name as source_id,
        review_reason as reason,
        case review_reason
            when 'attachment_missing'
                then 'the export names ' || file_name || ' for lead ' || lead_id
                || ' but the attachments folder has no such file (export it again or attach by hand)'
            else 'lead ' || lead_id || ' is not in the export'
        end as detail
    from {{ ref('int_captorra__attachments') }}
    where review_reason in ('attachment_missing', 'attachment_unknown_lead')
),

captorra_activities as (
    select
        'mail.message' as model,
        'captorra' as source_system,
        'activity' as source_model,
        activity_id as source_id,
        review_reason as reason,
        'lead ' || lead_id || ' is not in the export' as detail
    from {{ ref('int_captorra__activities') }}
    where review_reason = 'activity_unknown_lead'
),

captorra_custom_values as (
    select
        'crm.lead' as model,
        'captorra' as source_system,
        'custom_value' as source_model,
        lead_id || '/' || field_name as source_id,
        'invalid_custom_value' as reason,
        'value ' || value_text || ' does not fit ' || odoo_name || ' (' || ttype || '); the lead '
        || 'loads without it (a held lead keeps it under its own entry)' as detail
    from {{ ref('int_captorra__custom_values') }} as custom_values
    where not is_valid
        and exists (
            select 1 from {{ ref('int_captorra__leads') }} as leads
            where leads.lead_id = custom_values.lead_id and leads.review_reason is null
        )
)

select * from captorra_leads
union all
select * from captorra_attachments
union all
select * from captorra_activities
union all
select * from captorra_custom_values
