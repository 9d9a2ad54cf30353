package dev.ferry.bench;
