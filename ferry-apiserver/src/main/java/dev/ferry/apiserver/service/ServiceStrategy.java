package dev.ferry.apiserver.service;

import dev.ferry.api.validation.FieldError;
import dev.ferry.apiserver.resource.Strategy;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Write rules for core/v1 Services: upstream defaulting ({@code SetDefaults_Service}), the registry's rewrites
 * (clusterIP/clusterIPs sync, allocated values kept on update, type-change clean-up, IP-family defaulting) and
 * validation with upstream's field paths and messages. Allocation of IPs and ports is {@link ServiceAllocations}'
 * job, which runs after validation; validation therefore accepts an empty clusterIP, missing node ports and a missing
 * healthCheckNodePort.
 */
public final class ServiceStrategy implements Strategy {
    private final List<String> families;
    private final ServiceValidation validation;

    public ServiceStrategy(ServiceNetworkConfig config) {
        this(List.of(config.ipFamily()), config.specialIpValidator());
    }

    /** @param families IP families with a service range on this cluster, primary first */
    public ServiceStrategy(List<String> families, SpecialIpValidator specialIps) {
        this.families = List.copyOf(families);
        this.validation = new ServiceValidation(specialIps, families);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status").putObject("loadBalancer");
        ServiceDefaults.apply(obj);
        ObjectNode spec = (ObjectNode) obj.get("spec");
        ServiceNormalizer.normalizeClusterIPs(spec, null);
        ServiceNormalizer.initIpFamilies(spec, null, families);
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        JsonNode oldStatus = Nodes.get(old, "status");
        if (oldStatus != null) {
            obj.set("status", oldStatus.deepCopy());
        } else {
            obj.putObject("status").putObject("loadBalancer");
        }
        ServiceDefaults.apply(obj);
        ObjectNode spec = (ObjectNode) obj.get("spec");
        JsonNode oldSpec = ServiceValidation.spec(old);
        ServiceNormalizer.patchAllocatedValues(spec, oldSpec);
        ServiceNormalizer.normalizeClusterIPs(spec, oldSpec);
        ServiceNormalizer.initIpFamilies(spec, oldSpec, families);
        ServiceNormalizer.dropTypeDependentFields(obj, spec, oldSpec);
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        return validation.validateCreate(obj);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        return validation.validateUpdate(obj, old);
    }

    /** Status writes keep the stored spec; load-balancer ingress IPs get {@code ipMode: VIP}. */
    @Override
    public void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        JsonNode oldSpec = Nodes.get(old, "spec");
        if (oldSpec != null) {
            obj.set("spec", oldSpec.deepCopy());
        } else {
            obj.remove("spec");
        }
        if (ServiceSpecs.LOAD_BALANCER.equals(ServiceSpecs.type(Nodes.get(obj, "spec")))) {
            ServiceDefaults.applyStatus(obj);
        }
    }

    @Override
    public List<FieldError> validateStatusUpdate(ObjectNode obj, ObjectNode old) {
        return ServiceValidation.loadBalancerStatus(obj);
    }
}
