-- Emails, one record per matter they are filed on (emailassociations).
with emails as (
    select id, record from {current:emails}
),

links as (
    select
        json_extract_string(record, '$.links.email') as email_id,
        json_extract_string(record, '$.links.action') as action_id
    from {current:emailassociations}
)

select
    links.email_id || '--' || links.action_id as source_id,
    'legal2odoo.actionstep_email_'
        || regexp_replace(links.email_id || '--' || links.action_id, '[^A-Za-z0-9_]', '_', 'g')
        as external_id,
    'email' as record_type,
    cast(null as varchar) as excluded_rule,
    nullif(trim(json_extract_string(emails.record, '$.subject')), '') as subject,
    links.action_id
from links
inner join emails
    on links.email_id = emails.id
