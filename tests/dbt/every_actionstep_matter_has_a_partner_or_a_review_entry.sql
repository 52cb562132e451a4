-- Every Actionstep matter either loads as a lead whose partner the marts create or adopt, or is
-- held in the review queue: no matter disappears.
with matters as (
    select cast(action_id as varchar) as action_id from {{ ref('stg_actionstep__actions') }}
),

loaded as (
    select _source_id as action_id, "partner_id/id" as partner_xmlid
    from {{ ref('odoo__crm_lead') }}
    where _source_system = 'actionstep'
),

partners as (
    select id as xmlid from {{ ref('odoo__res_partner') }}
    union all
    select module || '.' || name from {{ ref('odoo__ir_model_data') }} where model = 'res.partner'
),

held as (
    select source_id as action_id from {{ ref('int_records_held_for_review') }}
    where source_system = 'actionstep' and source_model = 'matter'
)

select matters.action_id, loaded.partner_xmlid
from matters
left join loaded on matters.action_id = loaded.action_id
left join partners on loaded.partner_xmlid = partners.xmlid
left join held on matters.action_id = held.action_id
where partners.xmlid is null and held.action_id is null
