-- Every file the export names and every activity either loads (mart row), is a review entry
-- of its own (missing file, unknown lead) or hangs under a held lead: reported, never skipped.
with files as (
    select
        'attachment' as kind,
        attachments.lead_id || '/' || attachments.file_name as source_id,
        attachments.lead_id
    from {{ ref('stg_captorra__attachments') }} as attachments
),

activities as (
    select 'activity' as kind, activity_id as source_id, lead_id
    from {{ ref('stg_captorra__activities') }}
),

items as (
    select * from files
    union all
    select * from activities
),

accounted as (
    select 'attachment' as kind, _source_id as source_id from {{ ref('odoo__ir_attachment') }}
    union all
    select 'activity', _source_id from {{ ref('odoo__mail_message') }}
    union all
    select source_model, source_id from {{ ref('int_records_held_for_review') }}
    where source_model in ('attachment', 'activity')
),

held_leads as (
    select source_id as lead_id from {{ ref('int_records_held_for_review') }} where model = 'crm.lead'
        and source_model = 'lead'
)

select items.*
from items
left join accounted
    on items.kind = accounted.kind and items.source_id = accounted.source_id
left join held_leads
    on items.lead_id = held_leads.lead_id
where accounted.source_id is null and held_leads.lead_id is null
