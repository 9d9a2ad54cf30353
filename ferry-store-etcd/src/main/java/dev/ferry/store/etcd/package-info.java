package dev.ferry.store.etcd;
