{# Refuse a var with a value the models do not handle, before anything is built: a misspelt
   referral_mode (`Field`) would otherwise drop every referral with all tests passing.
   `legal2odoo build` checks the same (legal2odoo/build_checks.py) with a friendlier message;
   this guards a plain `dbt build --vars ...` too. Runs as the project's on-run-start hook. #}
{% macro check_vars() -%}
    {%- set allowed = {'referral_mode': ['partner', 'field']} -%}
    {%- for name, values in allowed.items() -%}
        {%- if var(name) not in values -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ name ~ " = '" ~ var(name) ~ "' is not allowed; use one of: "
                ~ values | join(', ')) }}
        {%- endif -%}
    {%- endfor -%}
    select 1
{%- endmacro %}
