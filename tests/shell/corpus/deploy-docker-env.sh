#!/bin/bash
image_name="registry.example.com/shop"
tag=$(git rev-parse --short HEAD)

docker build -t "$image_name:$tag" .
docker push "$image_name:$tag"
echo "pushed $image_name:$tga"
docker service update --image "$image_name:$tag" shop_web
