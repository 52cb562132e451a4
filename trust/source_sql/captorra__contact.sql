-- Contacts on Captorra leads: one per distinct email (the de-duplication key); leads without
-- an email get a contact of their own.
with raw as (
    select * from {raw:captorra/leads}
),

leads as (
    select distinct trim(lead_id) as lead_id, nullif(lower(trim(email)), '') as email
    from raw
)

select distinct
    coalesce(email, lead_id) as source_id,
    case
        when email is not null then 'legal2odoo.partner_' || left(sha256(email), 16)
        else 'legal2odoo.captorra_contact_' || regexp_replace(lead_id, '[^A-Za-z0-9_]', '_', 'g')
    end as external_id,
    'contact' as record_type,
    cast(null as varchar) as excluded_rule,
    email
from leads
