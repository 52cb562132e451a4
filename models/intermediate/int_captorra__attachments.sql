-- Files named by the export, on their lead. A file missing from the attachments folder and a
-- file of a lead the export does not have are review entries; files of a held lead stay with
-- the lead in review.
with attachments as (
    select * from {{ ref('stg_captorra__attachments') }}
),

leads as (
    select
        lead_id,
        review_reason
    from {{ ref('int_captorra__leads') }}
)

select
    attachments.*,
    {{ external_id("'captorra_lead'", 'attachments.lead_id') }} as lead_xmlid,
    {{ external_id("'captorra_attachment'", "attachments.lead_id || '_' || attachments.file_name") }}
        as attachment_xmlid,
    case
        when leads.lead_id is null then 'attachment_unknown_lead'
        when leads.review_reason is not null then 'lead_held'
        when not attachments.is_present then 'attachment_missing'
    end as review_reason
from attachments
left join leads
    on attachments.lead_id = leads.lead_id
