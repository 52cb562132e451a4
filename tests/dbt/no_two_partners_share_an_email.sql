-- One partner per email across sources and across created / adopted partners: no email may
-- belong to two external ids, whether the marts create the partner or adopt an existing one.
with created as (
    select id as xmlid, email from {{ ref('odoo__res_partner') }}
    where email is not null
),

adopted as (
    select partners.partner_xmlid as xmlid, partners.email
    from {{ ref('odoo__ir_model_data') }} as data
    inner join {{ ref('int_partners_deduplicated_by_email') }} as partners
        on data.module || '.' || data.name = partners.partner_xmlid
    where data.model = 'res.partner' and partners.email is not null
),

all_partners as (
    select * from created
    union
    select * from adopted
)

select email, count(distinct xmlid) as partners, min(xmlid) as one, max(xmlid) as other
from all_partners
group by email
having count(distinct xmlid) > 1
