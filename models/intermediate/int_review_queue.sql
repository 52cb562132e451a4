-- Every source record that cannot be loaded safely, with the reason. Nothing is dropped
-- silently: a record missing from the marts is here.
with captorra_leads as (
    select
        'crm.lead' as model,
        'captorra' as source_system,
        'lead' as source_model,
        lead_id as source_id,
        review_reason as reason,
        'pipeline ' || pipeline || ', status ' || status
        || ' (add it to seeds/captorra_stages.csv)' as detail
    from {{ ref('int_captorra__leads') }}
    where review_reason is not null
)

select * from captorra_leads
