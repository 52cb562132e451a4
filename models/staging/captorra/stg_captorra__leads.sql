-- A table, not a view: parsing text once serves every model and test downstream.
{{ config(materialized='table') }}
-- Captorra leads, typed: one row per lead, the latest version across export runs
-- (base_captorra__leads). A field no export had reads as NULL (macro captorra_fields_or_null).
with leads as (
    select
        {{ captorra_fields_or_null('leads', [
            'lead_id', 'created_at', 'modified_at', 'first_name', 'last_name', 'email', 'phone',
            'mobile', 'street', 'city', 'state', 'zip', 'company', 'pipeline', 'status',
            'owner_name', 'owner_email', 'referral_source', 'referring_attorney',
            'referring_firm', 'converted', 'matter_ref', 'notes', 'attachments']) }},
        _line,
        _run_id
    from {{ ref('base_captorra__leads') }}
),

typed as (
    select
        trim(lead_id) as lead_id,
        {{ captorra_timestamp('created_at') }} as created_at,
        {{ captorra_timestamp('modified_at') }} as modified_at,
        {{ blank_to_null('first_name') }} as first_name,
        {{ blank_to_null('last_name') }} as last_name,
        {{ blank_to_null('email') }} as email_as_entered,
        {{ valid_email(normalise_email('email')) }} as email,
        {{ normalise_email('email') }} is not null
        and {{ valid_email(normalise_email('email')) }} is null as has_invalid_email,
        {{ blank_to_null('phone') }} as phone,
        {{ blank_to_null('mobile') }} as mobile,
        {{ blank_to_null('street') }} as street,
        {{ blank_to_null('city') }} as city,
        {{ blank_to_null('state') }} as state_code,
        {{ blank_to_null('zip') }} as zip,
        {{ blank_to_null('company') }} as company,
        trim(pipeline) as pipeline,
        trim(status) as status,
        {{ blank_to_null('owner_name') }} as owner_name,
        {{ normalise_email('owner_email') }} as owner_email,
        {{ blank_to_null('referral_source') }} as referral_source,
        {{ blank_to_null('referring_attorney') }} as referring_attorney,
        {{ blank_to_null('referring_firm') }} as referring_firm,
        {{ yes_no('converted') }} as is_converted,
        {{ blank_to_null('matter_ref') }} as matter_ref,
        {{ blank_to_null('notes') }} as notes,
        {{ blank_to_null('attachments') }} as attachment_names,
        _line as source_line,
        _run_id as extract_run_id
    from leads
)

select * from typed
