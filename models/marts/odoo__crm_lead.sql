-- Captorra leads as crm.lead rows; leads held in int_review_queue are not here.
-- Odoo drops create_date/write_date sent over RPC or import, so the originals travel in
-- x_original_created / x_original_modified (UTC), date_open (assigned at creation) and
-- date_closed (won or closed-lost stages: the last modification). The referrer is a partner
-- (var referral_mode = partner, x_referral_partner_id) or the text field `referred` (field).
with leads as (
    select * from {{ ref('int_captorra__leads') }}
    where review_reason is null
),

shaped as (
    select
        *,
        case when '{{ var("referral_mode") }}' = 'partner' then referrer_xmlid end
            as referral_partner_xmlid,
        case when '{{ var("referral_mode") }}' = 'field' then referrer_name end as referred,
        case when is_won or is_closed_stage then modified_at end as closed_at
    from leads
)

select
    {{ external_id("'captorra_lead'", 'lead_id') }} as id,
    coalesce(nullif(trim(concat_ws(' ', first_name, last_name)), ''), email, 'Lead ' || lead_id)
        || ' - ' || pipeline as name,
    case when is_converted then 'opportunity' else 'lead' end as type,
    partner_xmlid as "partner_id/id",
    nullif(trim(concat_ws(' ', first_name, last_name)), '') as contact_name,
    company as partner_name,
    email as email_from,
    phone,
    mobile,
    street,
    city,
    zip,
    'base.us' as "country_id/id",
    team_xmlid as "team_id/id",
    stage_xmlid as "stage_id/id",
    user_id as "user_id/.id",
    probability,
    notes as description,
    referred,
    referral_partner_xmlid as "x_referral_partner_id/id",
    lead_id as x_captorra_id,
    matter_ref as x_matter_ref,
    created_at as x_original_created,
    modified_at as x_original_modified,
    created_at as date_open,
    closed_at as date_closed,
    'captorra' as _source_system,
    'lead' as _source_model,
    lead_id as _source_id,
    owner_is_fallback as _owner_is_fallback,
    {{ row_hash([
        'lead_id', 'first_name', 'last_name', 'is_converted', 'partner_xmlid', 'company', 'email',
        'phone', 'mobile', 'street', 'city', 'zip', 'team_xmlid', 'stage_xmlid', 'user_id',
        'probability', 'notes', 'referred', 'referral_partner_xmlid', 'matter_ref', 'created_at',
        'modified_at', 'closed_at'
    ]) }} as _row_hash
from shaped
