-- Participants (contacts: people, companies, staff, the firm itself), typed. The phone is the
-- split number as Actionstep stores it (country, area, number) or the free text as typed.
with source as (
    select * from {{ actionstep_current('participants', '{"companyName":"VARCHAR","createdTimestamp":"VARCHAR","displayName":"VARCHAR","email":"VARCHAR","firstName":"VARCHAR","isCompany":"VARCHAR","lastName":"VARCHAR","modifiedTimestamp":"VARCHAR","occupation":"VARCHAR","phone1Area":"VARCHAR","phone1Country":"VARCHAR","phone1Label":"VARCHAR","phone1Number":"VARCHAR","physicalAddressLine1":"VARCHAR","physicalAddressLine2":"VARCHAR","physicalCity":"VARCHAR","physicalPostCode":"VARCHAR","physicalStateProvince":"VARCHAR","links":{"physicalCountry":"VARCHAR"}}') }}
)

select
    cast(id as bigint) as participant_id,
    nullif(trim(r['displayName']), '') as display_name,
    (r['isCompany'] = 'T') as is_company,
    nullif(trim(r['companyName']), '') as company_name,
    nullif(trim(r['firstName']), '') as first_name,
    nullif(trim(r['lastName']), '') as last_name,
    nullif(trim(r['email']), '') as email_as_entered,
    {{ normalise_email("r['email']") }} as email,
    nullif(trim(concat_ws(
        ' ',
        case when r['phone1Country'] is not null then '+' || (r['phone1Country']) end,
        case when r['phone1Area'] is not null then '(' || (r['phone1Area']) || ')' end,
        r['phone1Number']
    )), '') as phone,
    nullif(trim(r['phone1Label']), '') as phone_label,
    nullif(trim(r['physicalAddressLine1']), '') as street,
    nullif(trim(r['physicalAddressLine2']), '') as street2,
    nullif(trim(r['physicalCity']), '') as city,
    nullif(trim(r['physicalStateProvince']), '') as state_code,
    nullif(trim(r['physicalPostCode']), '') as zip,
    nullif(r['links']['physicalCountry'], '') as country_code,
    nullif(trim(r['occupation']), '') as occupation,
    {{ actionstep_timestamp("r['createdTimestamp']") }} as created_at,
    {{ actionstep_timestamp("r['modifiedTimestamp']") }} as modified_at
from source
