-- The loader's plan: every odoo__ mart with the Odoo model it writes and its place in the load
-- order, from the mart's `config.meta` ({odoo_model, load_order}) in its YAML. The loader
-- (load/marts.py) reads this table, not the mart names. A mart without that meta stops the
-- build here with its name. Passes over one model (odoo__<model>__<pass>) share its odoo_model.
{%- set plan = [] %}
{%- if execute %}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.name.startswith('odoo__') %}
        {%- set meta = node.config.meta or {} %}
        {%- if meta.get('odoo_model') is none or meta.get('load_order') is none %}
            {{ exceptions.raise_compiler_error(
                "mart " ~ node.name ~ " (" ~ node.original_file_path ~ ") has no config meta "
                ~ "{odoo_model: <odoo model>, load_order: <integer>}: the loader cannot place it") }}
        {%- endif %}
        {%- do plan.append((node.name, meta['odoo_model'], meta['load_order'])) %}
    {%- endfor %}
{%- endif %}
with plan as (
    select * from (
        values
            ('', '', 0)
            {%- for mart, odoo_model, load_order in plan | sort(attribute=2) %},
            ('{{ mart }}', '{{ odoo_model }}', {{ load_order | int }})
            {%- endfor %}
    ) as meta (mart, odoo_model, load_order)
    where mart <> ''
)

select
    mart,
    odoo_model,
    cast(load_order as integer) as load_order
from plan
