-- Participants (contacts: people, companies, staff, the firm itself), typed. The phone is the
-- split number as Actionstep stores it (country, area, number) or the free text as typed.
with source as (
    select * from {{ actionstep_current('participants') }}
)

select
    cast(id as bigint) as participant_id,
    {{ as_text('displayName') }} as display_name,
    {{ as_tf('isCompany') }} as is_company,
    {{ as_text('companyName') }} as company_name,
    {{ as_text('firstName') }} as first_name,
    {{ as_text('lastName') }} as last_name,
    {{ as_text('email') }} as email_as_entered,
    {{ normalise_email("record ->> 'email'") }} as email,
    nullif(trim(concat_ws(' ',
        case when record ->> 'phone1Country' is not null then '+' || (record ->> 'phone1Country') end,
        case when record ->> 'phone1Area' is not null then '(' || (record ->> 'phone1Area') || ')' end,
        record ->> 'phone1Number')), '') as phone,
    {{ as_text('phone1Label') }} as phone_label,
    {{ as_text('physicalAddressLine1') }} as street,
    {{ as_text('physicalAddressLine2') }} as street2,
    {{ as_text('physicalCity') }} as city,
    {{ as_text('physicalStateProvince') }} as state_code,
    {{ as_text('physicalPostCode') }} as zip,
    nullif(record -> 'links' ->> 'physicalCountry', '') as country_code,
    {{ as_text('occupation') }} as occupation,
    {{ as_timestamp('createdTimestamp') }} as created_at,
    {{ as_timestamp('modifiedTimestamp') }} as modified_at
from source
