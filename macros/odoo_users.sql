{# A column of the target Odoo user `user_id` (login or name), from the snapshot (or the assumed
   empty target): the CSV route names owners by login, which the import wizard looks up itself
   (res.users name_search tries the login first), never by another Odoo's database id. #}
{% macro odoo_user_column(user_id, column) -%}
    (select min(users.{{ column }}) from {{ ref('stg_odoo__users') }} as users
     where users.user_id = {{ user_id }})
{%- endmacro %}
