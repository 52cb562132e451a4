-- Every Captorra lead either loads with a contact partner that the marts create or adopt, or
-- is held in the review queue: no lead disappears.
with leads as (
    select lead_id from {{ ref('stg_captorra__leads') }}
),

loaded as (
    select _source_id as lead_id, "partner_id/id" as partner_xmlid from {{ ref('odoo__crm_lead') }}
),

partners as (
    select id as xmlid from {{ ref('odoo__res_partner') }}
    union all
    select module || '.' || name from {{ ref('odoo__ir_model_data') }} where model = 'res.partner'
),

held as (
    select source_id as lead_id from {{ ref('int_records_held_for_review') }} where model = 'crm.lead'
)

select leads.lead_id, loaded.partner_xmlid
from leads
left join loaded on leads.lead_id = loaded.lead_id
left join partners on loaded.partner_xmlid = partners.xmlid
left join held on leads.lead_id = held.lead_id
where partners.xmlid is null and held.lead_id is null
