-- Actionstep contacts (participants that are neither staff nor the firm itself) with the
-- partner they become: a company is keyed by its normalised name (the same company as in
-- Captorra), a person by normalised email (one partner per person however many contact
-- records or sources), a person without an email is a partner of their own. A person's
-- company name makes them a child of that company.
with participants as (
    select
        * exclude (email),
        email as email_key,
        case when email similar to '[^@\s]+@[^@\s]+\.[^@\s]+' then email end as email
    from {{ ref('stg_actionstep__participants') }}
),

staff as (
    select distinct participant_id from {{ ref('stg_actionstep__users') }}
    where participant_id is not null
),

firm as (
    select distinct division_participant_id as participant_id
    from {{ ref('stg_actionstep__actions') }}
    where division_participant_id is not null
),

contacts as (
    select participants.*
    from participants
    left join staff on participants.participant_id = staff.participant_id
    left join firm on participants.participant_id = firm.participant_id
    where staff.participant_id is null and firm.participant_id is null
),

keyed as (
    select
        *,
        {{ normalise_company_name('company_name') }} as company_key,
        case when is_company then coalesce(company_name, display_name) else company_name end
            as company_display
    from contacts
)

select
    participant_id,
    is_company,
    case
        when is_company then coalesce(display_name, company_name)
        else coalesce(nullif(trim(concat_ws(' ', first_name, last_name)), ''), display_name)
    end as name,
    first_name,
    last_name,
    email_as_entered,
    email,
    phone,
    phone_label,
    street,
    street2,
    city,
    state_code,
    zip,
    country_code,
    created_at,
    modified_at,
    case
        when is_company and company_key is not null then {{ company_external_id('company_key') }}
        when email is not null then {{ partner_external_id('email') }}
        else {{ external_id("'actionstep_participant'", 'participant_id') }}
    end as partner_xmlid,
    case
        when not is_company and company_key is not null then {{ company_external_id('company_key') }}
    end as company_xmlid,
    company_key,
    company_display,
    email_key is not null and email is null as has_invalid_email
from keyed
