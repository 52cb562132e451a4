{# `build --sample N` runs `dbt run-operation sample_marts --args '{size: N}'` after the
   build: it cuts the marts down to N leads and
   their closure (with the matters they name as related, transitively), so the sample loads
   on its own. Leads are taken round-robin over stages in a
   fixed pseudo-random order (md5 of the external id): every stage is represented when N allows,
   and the same N gives the same sample. Every pass of a model (odoo__crm_lead__intake,
   odoo__crm_lead__matter_data, odoo__res_partner__actionstep, …) is cut like its model. Kept with them: the records they reference (partners,
   their companies, referrers), the messages, attachments and activities that hang under them
   (_res_xmlid), external-id adoptions of kept partners; stages, teams, tags and custom fields
   stay whole. Tests ran on the full marts first. No mart SQL changes. #}
{% macro sample_marts(size) -%}
    {%- set size = size | int -%}
    {%- set statements = [] -%}
    {%- if execute and size > 0 and adapter.get_relation(target.database, target.schema, 'odoo__crm_lead') is not none -%}
        {%- set found = run_query("select table_name from information_schema.tables where table_schema = '" ~ target.schema ~ "' and table_name like 'odoo\\_\\_%' escape '\\' order by 1") -%}
        {%- set marts = found.columns[0].values() | list -%}
        {%- set lead_columns = sample_columns('odoo__crm_lead') -%}
        {%- do statements.append(sample_leads_sql(size, lead_columns)) -%}
        {%- do statements.append(sample_partners_sql(marts, lead_columns)) -%}
        {%- for mart in marts -%}
            {%- set columns = sample_columns(mart) -%}
            {%- if mart.startswith('odoo__crm_lead') -%}
                {%- do statements.append('delete from ' ~ mart ~ ' where id not in (select id from _sample_leads)') -%}
            {%- elif mart == 'odoo__res_partner' or mart.startswith('odoo__res_partner__') -%}
                {%- do statements.append('delete from ' ~ mart ~ ' where id not in (select id from _sample_partners)') -%}
            {%- elif '_res_xmlid' in columns -%}
                {%- do statements.append('delete from ' ~ mart ~ ' where _res_xmlid not in (select id from _sample_leads union all select id from _sample_partners)') -%}
            {%- elif mart == 'odoo__ir_model_data' -%}
                {%- do statements.append("delete from " ~ mart ~ " where model = 'res.partner' and module || '.' || name not in (select id from _sample_partners)") -%}
            {%- endif -%}
        {%- endfor -%}
        {{ log('sample: keeping ' ~ size ~ ' leads and their closure in ' ~ marts | length ~ ' marts', info=True) }}
    {%- endif -%}
    {%- for sql in statements -%}
        {% do run_query(sql) %}
    {%- endfor -%}
    {% do adapter.commit() %}
{%- endmacro %}

{% macro sample_columns(relation) -%}
    {%- set found = run_query("select column_name from information_schema.columns where table_schema = '" ~ target.schema ~ "' and table_name = '" ~ relation ~ "'") -%}
    {{- return(found.columns[0].values() | list) -}}
{%- endmacro %}

{# N leads, then the matters they name as related, transitively (a kept matter's related
   matter must load with it, or the link fails to resolve). #}
{% macro sample_leads_sql(size, lead_columns) -%}
    create or replace temp table _sample_leads as
    with recursive picked as (
        select id from (
            select id, row_number() over (partition by "stage_id/id" order by md5(id)) as turn
            from odoo__crm_lead
        )
        order by turn, md5(id)
        limit {{ size }}
    ),

    kept(id) as (
        select id from picked
        {% if 'x_related_matter_id/id' in lead_columns -%}
        union
        select leads."x_related_matter_id/id"
        from odoo__crm_lead as leads
        inner join kept on leads.id = kept.id
        where leads."x_related_matter_id/id" is not null
        {%- endif %}
    )

    select id from kept
{%- endmacro %}

{# Partners the kept leads and their messages name, then those partners' companies. #}
{% macro sample_partners_sql(marts, lead_columns) -%}
    create or replace temp table _sample_partners as
    with named as (
        select "partner_id/id" as id from odoo__crm_lead where id in (select id from _sample_leads)
        {% if 'x_referral_partner_id/id' in lead_columns -%}
        union all
        select "x_referral_partner_id/id" from odoo__crm_lead where id in (select id from _sample_leads)
        {%- endif %}
        {% if 'odoo__mail_message' in marts -%}
        union all
        select "author_id/id" from odoo__mail_message where _res_xmlid in (select id from _sample_leads)
        {%- endif %}
    )
    select id from named where id is not null
    union
    select "parent_id/id" from odoo__res_partner
    where id in (select id from named) and "parent_id/id" is not null
{%- endmacro %}
