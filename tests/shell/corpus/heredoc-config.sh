#!/bin/bash
app_name="demo"
port="${PORT:-8080}"
cat > "/etc/$app_name.conf" <<EOF
name = $app_name
port = $port
EOF
cat <<'RAW' > /tmp/raw.txt
$not_expanded here
RAW
