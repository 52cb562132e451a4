-- Every custom (x_) column a mart writes is created first by odoo__ir_model_fields, so the
-- loader can create the fields before any record needs them (many2one columns as x_…/id).
-- depends_on: {{ ref('odoo__crm_lead') }}
-- depends_on: {{ ref('odoo__crm_lead__intake') }}
-- depends_on: {{ ref('odoo__res_partner') }}
-- depends_on: {{ ref('odoo__mail_message') }}
-- depends_on: {{ ref('odoo__ir_attachment') }}
-- depends_on: {{ ref('odoo__crm_tag') }}
-- depends_on: {{ ref('odoo__mail_activity') }}
-- depends_on: {{ ref('odoo__res_partner__actionstep') }}
-- depends_on: {{ ref('odoo__crm_lead__matter_data') }}
with columns as (
    select table_name, column_name, split_part(column_name, '/', 1) as field_name
    from information_schema.columns
    where table_schema = '{{ target.schema }}'
        and table_name like 'odoo\_\_%' escape '\'
        and column_name like 'x\_%' escape '\'
),

defined as (
    select name from {{ ref('odoo__ir_model_fields') }}
    union all
    -- export columns the seed maps onto a field the target already has
    select odoo_name from {{ ref('int_captorra__custom_fields') }} where is_existing
)

select columns.*
from columns
left join defined
    on columns.field_name = defined.name
where defined.name is null
