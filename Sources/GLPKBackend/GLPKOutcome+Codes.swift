import CGLPK
import IntegerProgram

extension GLPKOutcome {
    /// The outcome for a return code of `glp_simplex` or `glp_intopt`.
    public init(code: Int32) {
        switch code {
        case 0: self = .success
        case GLP_EBADB: self = .invalidBasis
        case GLP_ESING: self = .singularMatrix
        case GLP_ECOND: self = .illConditionedMatrix
        case GLP_EBOUND: self = .invalidBounds
        case GLP_EFAIL: self = .solverFailed
        case GLP_EOBJLL: self = .objectiveLowerLimit
        case GLP_EOBJUL: self = .objectiveUpperLimit
        case GLP_EITLIM: self = .iterationLimit
        case GLP_ETMLIM: self = .timeLimit
        case GLP_ENOPFS: self = .noPrimalFeasible
        case GLP_ENODFS: self = .noDualFeasible
        case GLP_EROOT: self = .rootNotOptimal
        case GLP_ESTOP: self = .stoppedByCallback
        case GLP_EMIPGAP: self = .gapReached
        default: self = .unknown(code)
        }
    }

    /// GLPK's return code for this outcome.
    public var code: Int32 {
        switch self {
        case .success: 0
        case .invalidBasis: GLP_EBADB
        case .singularMatrix: GLP_ESING
        case .illConditionedMatrix: GLP_ECOND
        case .invalidBounds: GLP_EBOUND
        case .solverFailed: GLP_EFAIL
        case .objectiveLowerLimit: GLP_EOBJLL
        case .objectiveUpperLimit: GLP_EOBJUL
        case .iterationLimit: GLP_EITLIM
        case .timeLimit: GLP_ETMLIM
        case .noPrimalFeasible: GLP_ENOPFS
        case .noDualFeasible: GLP_ENODFS
        case .rootNotOptimal: GLP_EROOT
        case .stoppedByCallback: GLP_ESTOP
        case .gapReached: GLP_EMIPGAP
        case let .unknown(code): code
        }
    }
}
