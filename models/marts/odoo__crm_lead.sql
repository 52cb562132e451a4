-- Captorra leads as crm.lead rows; leads held in int_review_queue are not here.
with leads as (
    select * from {{ ref('int_captorra__leads') }}
    where review_reason is null
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
    'captorra' as _source_system,
    'lead' as _source_model,
    lead_id as _source_id,
    owner_is_fallback as _owner_is_fallback,
    {{ row_hash([
        'lead_id', 'first_name', 'last_name', 'is_converted', 'partner_xmlid', 'company', 'email',
        'phone', 'mobile', 'street', 'city', 'zip', 'team_xmlid', 'stage_xmlid', 'user_id',
        'probability', 'notes'
    ]) }} as _row_hash
from leads
